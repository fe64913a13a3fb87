/** The JSON HTTP API, validated with the protocol's schemas. */
import { ApiError, CreateMeetingResponse } from '@parley/protocol';

export class ApiRequestError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'ApiRequestError';
    this.code = code;
  }
}

export async function createMeeting(title: string): Promise<CreateMeetingResponse> {
  const body = title.trim() ? { title: title.trim() } : {};
  let res: Response;
  try {
    res = await fetch('/api/meetings', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiRequestError('network', 'The server could not be reached.');
  }
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const err = ApiError.safeParse(json);
    if (err.success) throw new ApiRequestError(err.data.error.code, err.data.error.message);
    throw new ApiRequestError('internal', `The server answered ${res.status}.`);
  }
  const parsed = CreateMeetingResponse.safeParse(json);
  if (!parsed.success) throw new ApiRequestError('internal', 'The server sent an unexpected reply.');
  return parsed.data;
}
