// Renderer entry: connect to the host (Electron preload or the HTTP server) and render.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { connectHost } from './api/shell.ts';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App host={connectHost()} />
  </StrictMode>,
);
