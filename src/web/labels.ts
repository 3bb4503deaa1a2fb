import type { InterpretationForm } from '../app/interpretations.js';

/** The interpretation forms of SPEC §2, as the pages name them. */
export const FORM_LABELS: Record<InterpretationForm, string> = {
  text: '文字解读',
  qa: '问答',
  graphic: '图解',
  video: '视频',
  expert: '专家解读',
  media: '媒体报道',
  interview: '在线访谈',
  press_conference: '新闻发布会',
};
