import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServerEvent } from '@parley/protocol';
import { activityList, addAlert, alertVersion, collapseAlert, markRemoved, MAX_ALERTS, toastAlerts, type MeetingAlert } from './alerts.js';

type AlertEvent = Extract<ServerEvent, { type: 'alert' }>;
const link = (participantId: string, name: string): AlertEvent => ({
  type: 'alert',
  kind: 'untrusted-activity',
  attempted: 'link',
  message: `${name} tried to post a link`,
  participantId,
  participantName: name,
});

test('a new alert is a toast; the one before collapses into the Activity list with its time', () => {
  let alerts: MeetingAlert[] = addAlert([], link('mallory1', 'Mallory'), 1, 1000);
  assert.deepEqual(toastAlerts(alerts).map((a) => a.id), [1]);
  assert.deepEqual(activityList(alerts), []);
  alerts = addAlert(alerts, { type: 'alert', kind: 'disruption', attempted: 'join-burst', message: 'Many joins', locked: true }, 2, 2000);
  assert.deepEqual(toastAlerts(alerts).map((a) => a.id), [2]);
  assert.deepEqual(activityList(alerts).map((a) => [a.id, a.at, a.participantName]), [[1, 1000, 'Mallory']]);
});

test('collapsing (time out or dismiss) keeps the alert; a repeat folds, counts and shows as a toast again', () => {
  let alerts = addAlert([], link('mallory1', 'Mallory'), 1, 1000);
  alerts = collapseAlert(alerts, 1);
  assert.deepEqual(toastAlerts(alerts), []);
  assert.equal(activityList(alerts)[0]?.id, 1);
  const seen = alertVersion(activityList(alerts)[0] as MeetingAlert);
  assert.equal(collapseAlert(alerts, 1), alerts, 'collapsing twice changes nothing');
  alerts = addAlert(alerts, link('mallory1', 'Mallory'), 7, 5000);
  assert.equal(alerts.length, 1);
  assert.deepEqual(toastAlerts(alerts).map((a) => [a.id, a.count, a.at]), [[1, 2, 5000]]);
  alerts = collapseAlert(alerts, 1);
  assert.notEqual(alertVersion(activityList(alerts)[0] as MeetingAlert), seen, 'a repeat is news for the badge');
});

test('the Activity list is newest first, keeps the newest MAX_ALERTS, and says who was removed', () => {
  let alerts: MeetingAlert[] = [];
  for (let i = 1; i <= MAX_ALERTS + 5; i++) alerts = addAlert(alerts, link(`person${i}`, `P${i}`), i, i * 10);
  assert.equal(alerts.length, MAX_ALERTS);
  const list = activityList(alerts);
  assert.equal(list.length, MAX_ALERTS - 1, 'the newest is still a toast');
  assert.equal(list[0]?.participantName, `P${MAX_ALERTS + 4}`);
  assert.equal(list.at(-1)?.participantName, 'P6');
  alerts = markRemoved(alerts, 'person20');
  assert.equal(activityList(alerts).find((a) => a.participantId === 'person20')?.removed, true);
});
