export { adminPages } from './handlers.js';
