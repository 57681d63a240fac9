/**
 * Parses the subset of SOQL Pulse emits:
 *   SELECT f1, f2, Rel.Field FROM Object [WHERE cond AND cond ...] [ORDER BY f [ASC|DESC], ...] [LIMIT n]
 * where cond is `field op value` (op one of = != < <= > >=) or `field IN (v1, v2)`, and values are
 * string literals (with backslash escapes), numbers, true/false/null, dates and datetimes.
 * Anything else is a MALFORMED_QUERY, as an unsupported construct should fail loudly in tests.
 */

export class SoqlSyntaxError extends Error {}

export type SoqlLiteral =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'datetime'; value: Date }
  | { kind: 'date'; value: string };

export type SoqlCondition =
  | { field: string; operator: '=' | '!=' | '<' | '<=' | '>' | '>='; value: SoqlLiteral }
  | { field: string; operator: 'IN' | 'NOT IN'; values: SoqlLiteral[] };

export interface ParsedSoql {
  fields: string[];
  object: string;
  where: SoqlCondition[];
  orderBy: { field: string; descending: boolean }[];
  limit: number | null;
}

type Token =
  | { type: 'word'; text: string }
  | { type: 'string'; text: string }
  | { type: 'number'; text: string }
  | { type: 'datetime'; text: string }
  | { type: 'date'; text: string }
  | { type: 'symbol'; text: string };

const ESCAPES: Record<string, string> = {
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
};
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})/;
const DATE = /^\d{4}-\d{2}-\d{2}(?![\dT])/;

function tokenise(text: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  while (position < text.length) {
    const character = text[position]!;
    if (/\s/.test(character)) {
      position += 1;
      continue;
    }
    if (character === "'") {
      let value = '';
      position += 1;
      for (;;) {
        if (position >= text.length) throw new SoqlSyntaxError('unterminated string literal');
        const next = text[position]!;
        if (next === '\\') {
          const escaped = ESCAPES[text[position + 1] ?? ''];
          if (escaped === undefined) throw new SoqlSyntaxError(`invalid escape sequence at ${position}`);
          value += escaped;
          position += 2;
        } else if (next === "'") {
          position += 1;
          break;
        } else {
          value += next;
          position += 1;
        }
      }
      tokens.push({ type: 'string', text: value });
      continue;
    }
    const rest = text.slice(position);
    const datetime = DATETIME.exec(rest);
    if (datetime) {
      tokens.push({ type: 'datetime', text: datetime[0] });
      position += datetime[0].length;
      continue;
    }
    const date = DATE.exec(rest);
    if (date) {
      tokens.push({ type: 'date', text: date[0] });
      position += date[0].length;
      continue;
    }
    const number = /^-?\d+(\.\d+)?/.exec(rest);
    if (number) {
      tokens.push({ type: 'number', text: number[0] });
      position += number[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(rest);
    if (word) {
      tokens.push({ type: 'word', text: word[0] });
      position += word[0].length;
      continue;
    }
    const symbol = /^(<=|>=|!=|<>|[=<>(),])/.exec(rest);
    if (symbol) {
      tokens.push({ type: 'symbol', text: symbol[0] === '<>' ? '!=' : symbol[0] });
      position += symbol[0].length;
      continue;
    }
    throw new SoqlSyntaxError(`unexpected character ${JSON.stringify(character)} at ${position}`);
  }
  return tokens;
}

class Parser {
  private index = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.index];
  }
  private next(): Token {
    const token = this.tokens[this.index];
    if (!token) throw new SoqlSyntaxError('unexpected end of query');
    this.index += 1;
    return token;
  }
  private isKeyword(keyword: string): boolean {
    const token = this.peek();
    return token?.type === 'word' && token.text.toUpperCase() === keyword;
  }
  private expectKeyword(keyword: string): void {
    const token = this.next();
    if (token.type !== 'word' || token.text.toUpperCase() !== keyword) {
      throw new SoqlSyntaxError(`expecting ${keyword}, found ${JSON.stringify(token.text)}`);
    }
  }
  private expectSymbol(symbol: string): void {
    const token = this.next();
    if (token.type !== 'symbol' || token.text !== symbol) {
      throw new SoqlSyntaxError(`expecting '${symbol}', found ${JSON.stringify(token.text)}`);
    }
  }
  private identifier(): string {
    const token = this.next();
    if (token.type !== 'word')
      throw new SoqlSyntaxError(`expecting a field name, found ${JSON.stringify(token.text)}`);
    return token.text;
  }
  private literal(): SoqlLiteral {
    const token = this.next();
    switch (token.type) {
      case 'string':
        return { kind: 'string', value: token.text };
      case 'number':
        return { kind: 'number', value: Number(token.text) };
      case 'datetime':
        return { kind: 'datetime', value: new Date(token.text) };
      case 'date':
        return { kind: 'date', value: token.text };
      case 'word': {
        const upper = token.text.toUpperCase();
        if (upper === 'TRUE' || upper === 'FALSE') return { kind: 'boolean', value: upper === 'TRUE' };
        if (upper === 'NULL') return { kind: 'null' };
        break;
      }
    }
    throw new SoqlSyntaxError(`expecting a literal value, found ${JSON.stringify(token.text)}`);
  }
  private condition(): SoqlCondition {
    const field = this.identifier();
    if (this.isKeyword('NOT') || this.isKeyword('IN')) {
      const negated = this.isKeyword('NOT');
      if (negated) this.next();
      this.expectKeyword('IN');
      this.expectSymbol('(');
      const values = [this.literal()];
      while (this.peek()?.text === ',') {
        this.next();
        values.push(this.literal());
      }
      this.expectSymbol(')');
      return { field, operator: negated ? 'NOT IN' : 'IN', values };
    }
    const operator = this.next();
    if (operator.type !== 'symbol' || !['=', '!=', '<', '<=', '>', '>='].includes(operator.text)) {
      throw new SoqlSyntaxError(`unexpected token ${JSON.stringify(operator.text)} after ${field}`);
    }
    return { field, operator: operator.text as '=', value: this.literal() };
  }

  parse(): ParsedSoql {
    this.expectKeyword('SELECT');
    const fields = [this.identifier()];
    while (this.peek()?.text === ',') {
      this.next();
      fields.push(this.identifier());
    }
    this.expectKeyword('FROM');
    const object = this.identifier();
    const where: SoqlCondition[] = [];
    if (this.isKeyword('WHERE')) {
      this.next();
      where.push(this.condition());
      while (this.isKeyword('AND')) {
        this.next();
        where.push(this.condition());
      }
      if (this.isKeyword('OR')) throw new SoqlSyntaxError('OR is not supported by the sandbox');
    }
    const orderBy: ParsedSoql['orderBy'] = [];
    if (this.isKeyword('ORDER')) {
      this.next();
      this.expectKeyword('BY');
      do {
        if (this.peek()?.text === ',') this.next();
        const field = this.identifier();
        let descending = false;
        if (this.isKeyword('ASC') || this.isKeyword('DESC'))
          descending = this.next().text.toUpperCase() === 'DESC';
        orderBy.push({ field, descending });
      } while (this.peek()?.text === ',');
    }
    let limit: number | null = null;
    if (this.isKeyword('LIMIT')) {
      this.next();
      const token = this.next();
      if (token.type !== 'number' || !/^\d+$/.test(token.text))
        throw new SoqlSyntaxError('LIMIT needs an integer');
      limit = Number(token.text);
    }
    const trailing = this.peek();
    if (trailing) throw new SoqlSyntaxError(`unexpected token: ${JSON.stringify(trailing.text)}`);
    return { fields, object, where, orderBy, limit };
  }
}

export function parseSoql(text: string): ParsedSoql {
  return new Parser(tokenise(text)).parse();
}
