export { notificationPages } from './handlers.js';
