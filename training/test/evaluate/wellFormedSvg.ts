/**
 * A strict little XML well-formedness check for the SVGs we write (no XML parser is installed):
 * balanced tags, quoted unique attributes, only the five predefined entities, one <svg> root in the SVG namespace,
 * and no NaN/Infinity/undefined leaking into attribute values.
 */
export function svgProblems(svg: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  let roots = 0;
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/y;
  const attr = /\s+([\w:-]+)\s*=\s*("([^"]*)"|'([^']*)')/g;
  let i = 0;
  let textSeen = '';
  while (i < svg.length) {
    const lt = svg.indexOf('<', i);
    const chunk = svg.slice(i, lt === -1 ? svg.length : lt);
    textSeen += chunk;
    if (/&(?!(amp|lt|gt|quot|apos);)/.test(chunk)) problems.push(`bad entity in text near ${JSON.stringify(chunk.slice(0, 40))}`);
    if (chunk.includes('>')) problems.push(`stray '>' in text near ${JSON.stringify(chunk.slice(0, 40))}`);
    if (lt === -1) break;
    tag.lastIndex = lt;
    const m = tag.exec(svg);
    if (!m) {
      problems.push(`malformed tag at ${lt}: ${JSON.stringify(svg.slice(lt, lt + 60))}`);
      break;
    }
    const [, closing, name, attrs, selfClosing] = m;
    const seen = new Set<string>();
    for (const a of attrs.matchAll(attr)) {
      const value = a[3] ?? a[4] ?? '';
      if (seen.has(a[1])) problems.push(`<${name}> repeats attribute ${a[1]}`);
      seen.add(a[1]);
      if (/NaN|Infinity|undefined|null/.test(value)) problems.push(`<${name} ${a[1]}="${value}">`);
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(value)) problems.push(`bad entity in <${name} ${a[1]}>`);
    }
    if (closing) {
      if (attrs.trim() || selfClosing) problems.push(`malformed closing tag </${name}>`);
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}>`);
    } else {
      if (stack.length === 0) {
        roots++;
        if (name !== 'svg') problems.push(`root element is <${name}>, not <svg>`);
        if (!/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/.test(attrs)) problems.push('root <svg> lacks the SVG namespace');
        if (!/viewBox="[\d. ]+"/.test(attrs)) problems.push('root <svg> lacks a numeric viewBox');
      }
      if (!selfClosing) stack.push(name);
    }
    i = tag.lastIndex;
    if (stack.length === 0 && roots > 0) textSeen = '';
  }
  if (stack.length) problems.push(`unclosed: ${stack.join(' > ')}`);
  if (roots !== 1) problems.push(`${roots} root elements`);
  if (/NaN|undefined/.test(svg)) problems.push('the text contains NaN or undefined');
  return problems;
}
