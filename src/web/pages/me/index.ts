export { mePages } from './handlers.js';
