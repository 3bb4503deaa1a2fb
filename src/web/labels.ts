import type { InterpretationForm } from '../app/interpretations.js';
import { FORM_NAMES } from '../app/imports/columns.js';

/** The interpretation forms of SPEC §2, as the pages name them: the names imports read, too. */
export const FORM_LABELS: Record<InterpretationForm, string> = FORM_NAMES;
