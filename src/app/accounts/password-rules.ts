// What makes a password too easy to guess, beyond its length (SPEC §15, issue 11): the passwords
// every guessing list starts with. Not a full dictionary — a short list of the commonest words
// and the shapes passwords take around them (a common word with digits or symbols added, runs
// along the keyboard or the alphabet, a piece repeated, a date or a mobile number), and the
// account's own user name. Pure: the Password schema and the use cases both call it.

/** Words that, with only digits or symbols added, make up most guessed passwords. */
const COMMON_WORDS = new Set([
  'password', 'passw0rd', 'passwd', 'pass', 'pwd', 'mima', 'admin', 'administrator', 'root', 'user', 'test',
  'guest', 'login', 'system', 'manager', 'qwerty', 'qwertyuiop', 'asdf', 'asdfgh', 'asdfghjkl', 'zxcv',
  'zxcvbn', 'zxcvbnm', 'qwe', 'asd', 'zxc', 'qaz', 'qazwsx', 'qazwsxedc', 'qweasd', 'qweasdzxc', 'abc', 'abcd',
  'abcde', 'abcdef', 'iloveyou', 'woaini', 'welcome', 'letmein', 'changeme', 'default', 'secret', 'monkey',
  'dragon', 'master', 'sunshine', 'princess', 'football', 'superman', 'hello', 'hellokitty', 'china',
  'zhongguo', 'beijing', 'shanghai', 'love',
  // Letters and digits interleaved along the keyboard.
  '1qaz2wsx', '1qaz2wsx3edc', '1q2w3e4r', '1q2w3e4r5t', '1q2w3e4r5t6y', 'q1w2e3r4', 'q1w2e3r4t5', 'a1b2c3d4', 'a1b2c3d4e5',
]);

/** Whole passwords near the top of leaked lists that no shape below catches. */
const COMMON_PASSWORDS = new Set(['5201314520', '1314520520', '5211314521', '7758521521', '1472583690', '1593572580']);

const ROWS = ['`1234567890-=', '~!@#$%^&*()_+', 'qwertyuiop[]\\', "asdfghjkl;'", 'zxcvbnm,./', '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/-[\'=]', 'abcdefghijklmnopqrstuvwxyz', '01234567890'];
const reversed = (text: string) => [...text].reverse().join('');

/** Runs along a keyboard row or column, or the alphabet or digits, either way: qwertyuiop, 0987654321. */
function isRun(text: string): boolean {
  return text.length >= 4 && ROWS.some((row) => row.includes(text) || reversed(row).includes(text));
}

/** A run of six or more with at most three characters added: 12345678910, qwertyuiop1. */
function isMostlyRun(text: string): boolean {
  for (let cut = 0; cut <= 3 && text.length - cut >= 6; cut++) {
    if (isRun(text.slice(cut)) || isRun(text.slice(0, text.length - cut))) return true;
  }
  return false;
}

/** One piece said again and again (a partial last piece allowed): 1111111111, 1212121212, adminadmin. */
function isRepetition(text: string): boolean {
  for (let size = 1; size * 2 <= text.length; size++) {
    if (text.slice(0, size).repeat(Math.ceil(text.length / size)).startsWith(text)) return true;
  }
  return false;
}

/** Digits that read as a date (19900101, 1990-01-01) or a mainland mobile number (13812345678). */
function isDateOrMobile(digits: string): boolean {
  return /^(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])$/.test(digits) || /^1[3-9]\d{9}$/.test(digits);
}

/** Digits and symbols that add little to a guess: a run, a repeat, a date or a mobile number. */
function isFiller(text: string): boolean {
  const digits = text.replace(/[^0-9]/g, '');
  return isRun(digits) || isRepetition(digits) || isDateOrMobile(digits) || isRepetition(text);
}

/** The longest password accepted (the Password schema's rule). */
export const MAX_PASSWORD_LENGTH = 200;

export const TOO_COMMON = '密码过于常见，容易被猜到（如 123456…、password…、qwerty…、admin123…、重复或连续的字符），请换一个';
export const LIKE_USERNAME = '密码不能是用户名本身，也不能只是在用户名前后加数字或符号';

/**
 * Why a password is too easy to guess (a message in Chinese), or null. The minimum length is the
 * schema's rule (`Password`); this is the rest. With `username`, the user name itself — alone,
 * reversed, or with digits or symbols added — is refused too.
 */
export function passwordWeakness(password: string, username?: string): string | null {
  // Longer passwords are refused by the length rule; the shapes below take time that grows with
  // the square of the length (a 100,000-character password held the service for seconds).
  if (password.length > MAX_PASSWORD_LENGTH) return null;
  const lower = password.toLowerCase();
  const alnum = lower.replace(/[^a-z0-9]/g, '');
  if (username) {
    const name = username.toLowerCase();
    const before = lower.startsWith(name) ? lower.slice(name.length) : null;
    const after = lower.endsWith(name) ? lower.slice(0, lower.length - name.length) : null;
    if (lower === reversed(name) || (before !== null && !/[a-z]/.test(before)) || (after !== null && !/[a-z]/.test(after))) return LIKE_USERNAME;
  }
  if (COMMON_PASSWORDS.has(alnum) || isRepetition(lower) || isMostlyRun(lower) || isMostlyRun(alnum) || COMMON_WORDS.has(alnum)) return TOO_COMMON;
  return isCommonWordWithFiller(lower) || isCommonWordWithFiller(unleet(lower)) ? TOO_COMMON : null;
}

/** Look-alike characters read as the letters they stand for: p@ssw0rd → password. */
function unleet(lower: string): string {
  const letters: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't' };
  return lower.replace(/@/g, 'a').replace(/\$/g, 's').replace(/(?<=[a-z])[013457](?=[a-z])/g, (d) => letters[d]!);
}

/** One stretch of letters with only digits and symbols around it: password123, Admin@2024, woaini1314. */
function isCommonWordWithFiller(lower: string): boolean {
  const shape = /^([^a-z]*)([a-z]*)([^a-z]*)$/.exec(lower);
  if (!shape) return false;
  const [, head, word, tail] = shape as unknown as [string, string, string, string];
  if (word === '') return isFiller(lower);
  if (COMMON_WORDS.has(word) || isRun(word) || isRepetition(word)) return true;
  // A letter or three in front of a run, a date or a mobile number: a123456789, qq13812345678.
  return word.length <= 3 && isFiller(head + tail);
}
