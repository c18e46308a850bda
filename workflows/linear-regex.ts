/**
 * A RegExp look-alike backed by RE2 (re2js), whose matching time is linear in the input: a pattern an
 * administrator writes can never backtrack for seconds inside the workflow sandbox. Pure JavaScript,
 * so it runs in workflow code. It implements what JSONata's `RegexEngine` option uses: `new
 * (pattern)`, `lastIndex`, `exec`, plus `test` and `source`.
 */
import { RE2JS } from 're2js';

function flagsOf(flags: string): number {
  let out = 0;
  if (flags.includes('i')) out |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('m')) out |= RE2JS.MULTILINE;
  if (flags.includes('s')) out |= RE2JS.DOTALL;
  return out;
}

export class LinearRegExp {
  readonly source: string;
  readonly flags: string;
  lastIndex = 0;
  private readonly re: RE2JS;

  constructor(pattern: string | RegExp | LinearRegExp, flags?: string) {
    this.source = typeof pattern === 'string' ? pattern : pattern.source;
    this.flags = flags ?? (typeof pattern === 'string' ? '' : pattern.flags);
    // Throws RE2JSSyntaxException for what RE2 refuses (backreferences, lookaround): never silently different.
    this.re = RE2JS.compile(this.source, flagsOf(this.flags));
  }

  exec(input: string): (string[] & { index: number; input: string }) | null {
    const matcher = this.re.matcher(input);
    if (this.lastIndex > input.length || !matcher.find(this.lastIndex)) {
      this.lastIndex = 0;
      return null;
    }
    const groups: string[] = [];
    for (let g = 0; g <= matcher.groupCount(); g++) groups.push(matcher.group(g) ?? (undefined as unknown as string));
    this.lastIndex = matcher.end();
    return Object.assign(groups, { index: matcher.start(), input });
  }

  test(input: string): boolean {
    return this.re.matcher(input).find();
  }
}
