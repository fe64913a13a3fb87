/** Client-side navigation: screens ask the App to go somewhere; the App owns the history. */
import { createContext, useContext } from 'react';
import type { Route } from './route.js';

export type Navigate = (route: Route) => void;

export const NavigateContext = createContext<Navigate | null>(null);

export function useNavigate(): Navigate {
  const navigate = useContext(NavigateContext);
  if (!navigate) throw new Error('useNavigate outside <NavigateContext>');
  return navigate;
}
