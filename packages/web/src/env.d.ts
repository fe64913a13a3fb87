/** Build-time constants injected by vite.config.ts `define`. */
declare const __PARLEY_CLIENT_BUILD__: string;
