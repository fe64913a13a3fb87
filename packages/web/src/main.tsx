/** Entry point: read (and scrub) the address once, then render. */
import './lib/csp.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, readInitialRoute } from './App.js';
import './styles.css';

const initial = readInitialRoute();
const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');
createRoot(root).render(
  <StrictMode>
    <App initial={initial} />
  </StrictMode>,
);
