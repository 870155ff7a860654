// Vite bundles CSS imported from modules into a stylesheet file (no inline styles or scripts).
declare module '*.css';
