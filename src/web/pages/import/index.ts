export { importPages } from './handlers.js';
