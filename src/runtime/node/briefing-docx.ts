import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import type { BriefingDocxEncoder, DailyBriefing } from '../../app/monitoring/briefing.js';
import { briefingText } from '../../app/monitoring/briefing-text.js';

// The daily briefing (舆情日报) as a Word file with the `docx` package: A4, the same sections and
// words as the printable page (briefing-text.ts), so that what is printed and what is sent agree.

const A4 = { width: 11906, height: 16838 }; // twips
const MARGIN = 1134; // 2 cm
const FONT = 'SimSun';

const cell = (text: string, bold = false) =>
  new TableCell({ children: [new Paragraph({ children: [new TextRun({ text, bold, font: FONT, size: 21 })] })] });

function table(head: string[], rows: string[][]): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [new TableRow({ tableHeader: true, children: head.map((h) => cell(h, true)) }), ...rows.map((r) => new TableRow({ children: r.map((v) => cell(v)) }))],
  });
}

const para = (text: string) => new Paragraph({ children: [new TextRun({ text, font: FONT, size: 22 })], spacing: { after: 120 } });
const heading = (text: string) => new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun({ text, font: FONT, bold: true, size: 28 })], spacing: { before: 240, after: 120 } });

export function briefingDocx(): BriefingDocxEncoder {
  return {
    async encode(briefing: DailyBriefing, departmentNames: ReadonlyMap<string, string>): Promise<Uint8Array> {
      const t = briefingText(briefing, departmentNames);
      const children: (Paragraph | Table)[] = [
        new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: t.title, font: FONT, bold: true, size: 36 })], spacing: { after: 120 } }),
        new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: t.subtitle, font: FONT, size: 21, color: '555555' })], spacing: { after: 240 } }),
        para(t.summary),
      ];
      for (const section of t.sections) {
        children.push(heading(section.title));
        if (section.rows.length === 0) children.push(para(section.empty));
        else children.push(table(section.head, section.rows));
      }
      const doc = new Document({
        creator: '政策解读与舆情回应平台',
        title: t.title,
        styles: { default: { document: { run: { font: FONT } } } },
        sections: [{ properties: { page: { size: A4, margin: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN } } }, children }],
      });
      return new Uint8Array(await Packer.toBuffer(doc));
    },
  };
}
