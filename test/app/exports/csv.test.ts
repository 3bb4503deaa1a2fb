import { describe, expect, it } from 'vitest';
import { csvCell, csvLine, csvStream } from '../../../src/app/exports/csv.js';

describe('CSV cells', () => {
  it.each([
    ['=SUM(1)', "'=SUM(1)"],
    ['+1', "'+1"],
    ['-1+2', "'-1+2"],
    ['@cmd', "'@cmd"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
    ['a=1', 'a=1'],
    ['沪发改规〔2026〕5号', '沪发改规〔2026〕5号'],
  ])('when text starts like a formula, then it gets a leading quote: %j → %j', (input, output) => {
    expect(csvCell(input)).toBe(output);
  });

  it('quotes commas, quotes and line breaks (RFC 4180), and writes numbers and nothing as they are', () => {
    expect(csvCell('一，二,三')).toBe('"一，二,三"');
    expect(csvCell('他说"好"')).toBe('"他说""好"""');
    expect(csvCell('第一行\n第二行')).toBe('"第一行\n第二行"');
    expect(csvCell('=1,2')).toBe(`"'=1,2"`);
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(null)).toBe('');
    expect(csvLine(['a', 1, null])).toBe('a,1,\r\n');
  });

  it('streams a BOM and the headings first, then one piece per chunk, reading a chunk only when asked', async () => {
    let read = 0;
    const stream = csvStream({
      fileName: 'x',
      asciiName: 'x',
      sheetName: 'x',
      columns: [{ header: '标题' }, { header: '数量' }],
      async *chunks() {
        for (let i = 0; i < 3; i++) {
          read++;
          yield [[`第${i}块`, i]];
        }
      },
    });
    const reader = stream.getReader();
    const first = (await reader.read()).value!;
    expect([...first.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(first)).toBe('标题,数量\r\n');
    const pieces: string[] = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      pieces.push(new TextDecoder().decode(value));
    }
    expect(pieces).toEqual(['第0块,0\r\n', '第1块,1\r\n', '第2块,2\r\n']);
    expect(read).toBe(3);
  });
});
