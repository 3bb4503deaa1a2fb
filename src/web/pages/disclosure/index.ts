export { disclosurePages } from './handlers.js';
