import path from 'node:path';
import ts from 'typescript';
import { REPO } from './fixtures.js';

/**
 * The shape of an exported TypeScript type as the compiler resolves it over all of
 * src/ (so declaration-merged unions such as `Ecosystem` are complete): the keys of
 * every object with whether each is optional and its doc comment, the string literals
 * of every union, arrays and primitives. Named interfaces met inside another type are
 * left as a reference by name, the way a JSON Schema refers to a definition.
 */
export type Shape =
  | { kind: 'string'; literals?: string[]; templates?: string[] }
  | { kind: 'number' }
  | { kind: 'boolean' }
  | { kind: 'array'; items: Shape }
  | { kind: 'ref'; name: string }
  | { kind: 'object'; name?: string; properties: Record<string, { shape: Shape; optional: boolean; doc: string }> };

let program: ts.Program | undefined;

function srcProgram(): ts.Program {
  if (program) return program;
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(REPO, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  if (!parsed) throw new Error('cannot read tsconfig.json');
  const src = path.join(REPO, 'src') + path.sep;
  program = ts.createProgram({ rootNames: parsed.fileNames.filter((f) => path.resolve(f).startsWith(src)), options: { ...parsed.options, noEmit: true } });
  return program;
}

const ANONYMOUS = new Set(['__type', '__object']);

function shapeOf(checker: ts.TypeChecker, t: ts.Type, top: boolean): Shape {
  if (t.flags & ts.TypeFlags.Boolean || t.flags & ts.TypeFlags.BooleanLiteral) return { kind: 'boolean' };
  if (t.flags & ts.TypeFlags.String) return { kind: 'string' };
  if (t.flags & ts.TypeFlags.Number) return { kind: 'number' };
  if (t.flags & ts.TypeFlags.StringLiteral) return { kind: 'string', literals: [(t as ts.StringLiteralType).value] };
  if (t.flags & ts.TypeFlags.TemplateLiteral) return { kind: 'string', templates: [checker.typeToString(t)] };
  if (t.isUnion()) {
    const members = t.types.filter((m) => !(m.flags & ts.TypeFlags.Undefined));
    if (members.length === 1) return shapeOf(checker, members[0]!, top);
    if (members.every((m) => m.flags & ts.TypeFlags.BooleanLiteral)) return { kind: 'boolean' };
    const literals: string[] = [];
    const templates: string[] = [];
    for (const m of members) {
      if (m.flags & ts.TypeFlags.StringLiteral) literals.push((m as ts.StringLiteralType).value);
      else if (m.flags & ts.TypeFlags.TemplateLiteral) templates.push(checker.typeToString(m));
      else throw new Error(`unsupported union member ${checker.typeToString(m)} in ${checker.typeToString(t)}`);
    }
    return templates.length ? { kind: 'string', literals: literals.sort(), templates } : { kind: 'string', literals: literals.sort() };
  }
  if (checker.isArrayType(t)) return { kind: 'array', items: shapeOf(checker, checker.getTypeArguments(t as ts.TypeReference)[0]!, false) };
  if (t.flags & ts.TypeFlags.Object) {
    const name = t.aliasSymbol?.name ?? t.getSymbol()?.name;
    const named = name !== undefined && !ANONYMOUS.has(name);
    if (named && !top) return { kind: 'ref', name };
    const properties: Record<string, { shape: Shape; optional: boolean; doc: string }> = {};
    for (const p of checker.getPropertiesOfType(t)) {
      const decl = p.valueDeclaration ?? p.declarations?.[0];
      if (!decl) throw new Error(`property ${p.name} has no declaration`);
      const pt = checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(p, decl));
      properties[p.name] = {
        shape: shapeOf(checker, pt, false),
        optional: (p.flags & ts.SymbolFlags.Optional) !== 0,
        doc: ts.displayPartsToString(p.getDocumentationComment(checker)).replace(/\s+/g, ' ').trim(),
      };
    }
    return named ? { kind: 'object', name, properties } : { kind: 'object', properties };
  }
  throw new Error(`unsupported type ${checker.typeToString(t)}`);
}

/** The shape of the type (interface or alias) `name` exported by `file` (relative to the checkout). */
export function typeShape(file: string, name: string): Shape {
  const p = srcProgram();
  const checker = p.getTypeChecker();
  const sf = p.getSourceFile(path.join(REPO, file));
  if (!sf) throw new Error(`${file} is not part of the program`);
  const mod = checker.getSymbolAtLocation(sf);
  const sym = mod && checker.getExportsOfModule(mod).find((s) => s.name === name);
  if (!sym) throw new Error(`${file} exports no ${name}`);
  const target = sym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(sym) : sym;
  return shapeOf(checker, checker.getDeclaredTypeOfSymbol(target), true);
}
