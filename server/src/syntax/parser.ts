/**
 * The Fabric grammar (FABRIC-LANGUAGE.md §3, §6, §7) as a chevrotain CST parser.
 * The grammar is pure: no semantics here; cst-to-ast.ts builds the tree the rest reads.
 * Recovery is on, so a file with several mistakes yields all of them and still a tree.
 */
import { CstParser, EOF, type CstNode, type IParserErrorMessageProvider, type IRecognitionException, type IToken, type TokenType } from 'chevrotain';
import { boundRecoveryCosts } from './recovery.js';
import * as T from './tokens.js';

const unitFollowersThatEndAQuantity: TokenType[] = [T.Colon, T.LBracket, T.Arrow, T.BiArrow];

/** What parse.ts needs to describe a syntax error: kept instead of chevrotain's exception. */
export interface SyntaxMistake {
  kind: string;
  token: IToken;
  previous: IToken | undefined;
  /** The rule being read. */
  rule: string;
  /** The token a mismatch expected. */
  expected: TokenType | undefined;
}

const tokenNamed = new Map([...T.allTokens, EOF].map((type) => [type.name, type]));

/**
 * parse.ts writes the messages; chevrotain's cost work for each mistake (the expected paths of
 * every alternative), so only the expected token's name is kept, as the message.
 */
const expectedOnly: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected }) => expected.name,
  buildNotAllInputParsedMessage: () => '',
  buildNoViableAltMessage: () => '',
  buildEarlyExitMessage: () => '',
};

export class FabricParser extends CstParser {
  /** The token types an item can start with, read from the grammar (item-split.ts splits at them). */
  readonly itemStarts: ReadonlySet<TokenType>;
  /**
   * The mistakes of the last `read`. chevrotain keeps each as an exception with copies of the
   * rule stacks, alive until the parse ends: in a file of 100,000 mistakes they made garbage
   * collection most of the parse.
   */
  private mistakes: SyntaxMistake[] = [];

  /** Reads `tokens` as the rule `start`; the tree is undefined when nothing could be read. */
  read(tokens: IToken[], start: 'file' | 'items'): { cst: CstNode | undefined; mistakes: SyntaxMistake[] } {
    this.input = tokens;
    this.mistakes = [];
    const cst = this[start]() as CstNode | undefined;
    return { cst, mistakes: this.mistakes };
  }

  /** chevrotain checks the grammar when asked to (`validate`): the tests ask, start-up skips it. */
  constructor({ validate = false } = {}) {
    super(T.allTokens, { recoveryEnabled: true, maxLookahead: 3, nodeLocationTracking: 'onlyOffset', skipValidations: !validate, errorMessageProvider: expectedOnly });
    this.performSelfAnalysis();
    boundRecoveryCosts(this);
    (this as unknown as { SAVE_ERROR: (error: IRecognitionException) => IRecognitionException }).SAVE_ERROR = (error) => {
      const previous = (error as IRecognitionException & { previousToken?: IToken }).previousToken;
      const expected = error.name === 'MismatchedTokenException' ? tokenNamed.get(error.message) : undefined;
      this.mistakes.push({ kind: error.name, token: error.token, previous, rule: this.currentRule(), expected });
      return error;
    };
    this.itemStarts = new Set(this.computeContentAssist('item', []).map((path) => path.nextTokenType));
  }

  file = this.RULE('file', () => {
    this.MANY(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.importDecl) },
        { ALT: () => this.SUBRULE(this.modelDecl) },
        { ALT: () => this.SUBRULE(this.transformerDecl) },
        { ALT: () => this.SUBRULE(this.fabricDecl) },
      ]);
    });
  });

  importDecl = this.RULE('importDecl', () => {
    this.CONSUME(T.Import);
    this.CONSUME(T.StringLiteral);
  });

  modelDecl = this.RULE('modelDecl', () => {
    this.CONSUME(T.Model);
    this.CONSUME(T.AnyWord, { LABEL: 'modelName' });
    this.CONSUME(T.Colon);
    this.CONSUME2(T.AnyWord, { LABEL: 'base' });
    this.OPTION(() => this.SUBRULE(this.attributeBlock));
  });

  /** `transformer NAME { layers: 80 hidden: 8192 … }` (FABRIC-LANGUAGE-2.md §13.1). */
  transformerDecl = this.RULE('transformerDecl', () => {
    this.CONSUME(T.Transformer);
    this.CONSUME(T.AnyWord, { LABEL: 'transformerName' });
    this.SUBRULE(this.attributeBlock);
  });

  fabricDecl = this.RULE('fabricDecl', () => {
    this.CONSUME(T.Fabric);
    this.SUBRULE(this.name);
    this.OPTION(() => this.CONSUME(T.StringLiteral));
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.item));
    this.CONSUME(T.RBrace);
  });

  /**
   * Items read on their own (parse.ts reads a fabric a piece at a time): as in a fabric's body,
   * so an item that fails keeps what was read of it.
   */
  items = this.RULE('items', () => {
    this.MANY(() => this.SUBRULE(this.item));
  });

  item = this.RULE('item', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.settingsDecl) },
      { ALT: () => this.SUBRULE(this.letDecl) },
      { ALT: () => this.SUBRULE(this.deviceDecl) },
      { ALT: () => this.SUBRULE(this.linkDecl) },
      { ALT: () => this.SUBRULE(this.forItems) },
      { ALT: () => this.SUBRULE(this.groupDecl) },
      { ALT: () => this.SUBRULE(this.allocateDecl) },
      { ALT: () => this.SUBRULE(this.workloadDecl) },
      { ALT: () => this.SUBRULE(this.expectDecl) },
      { ALT: () => this.SUBRULE(this.modelDecl) },
      { ALT: () => this.SUBRULE(this.transformerDecl) },
    ]);
  });

  settingsDecl = this.RULE('settingsDecl', () => {
    this.CONSUME(T.Settings);
    this.SUBRULE(this.attributeBlock);
  });

  letDecl = this.RULE('letDecl', () => {
    this.CONSUME(T.Let);
    this.SUBRULE(this.name);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  deviceDecl = this.RULE('deviceDecl', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Gpu, { LABEL: 'kind' }) },
      { ALT: () => this.CONSUME(T.Cpu, { LABEL: 'kind' }) },
      { ALT: () => this.CONSUME(T.Switch, { LABEL: 'kind' }) },
      { ALT: () => this.CONSUME(T.Memory, { LABEL: 'kind' }) },
    ]);
    this.SUBRULE(this.name);
    this.OPTION(() => {
      this.CONSUME(T.LBracket);
      this.SUBRULE(this.expression);
      this.CONSUME(T.RBracket);
    });
    this.OPTION2(() => {
      this.CONSUME(T.Colon);
      this.CONSUME(T.AnyWord, { LABEL: 'model' });
    });
    this.OPTION3(() => this.SUBRULE(this.attributeBlock));
  });

  linkDecl = this.RULE('linkDecl', () => {
    this.CONSUME(T.Link);
    this.SUBRULE(this.endpoint, { LABEL: 'left' });
    this.CONSUME(T.BiArrow);
    this.SUBRULE2(this.endpoint, { LABEL: 'right' });
    this.CONSUME(T.Colon);
    this.SUBRULE(this.portSpec);
    this.OPTION(() => this.SUBRULE(this.attributeBlock));
  });

  forItems = this.RULE('forItems', () => {
    this.SUBRULE(this.loopHead);
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.item));
    this.CONSUME(T.RBrace);
  });

  loopHead = this.RULE('loopHead', () => {
    this.CONSUME(T.For);
    this.SUBRULE(this.name);
    this.CONSUME(T.In);
    this.SUBRULE(this.expression, { LABEL: 'from' });
    this.CONSUME(T.Range);
    this.SUBRULE2(this.expression, { LABEL: 'to' });
  });

  groupDecl = this.RULE('groupDecl', () => {
    this.CONSUME(T.Group);
    this.SUBRULE(this.name);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.selectorList);
  });

  allocateDecl = this.RULE('allocateDecl', () => {
    this.CONSUME(T.Allocate);
    this.SUBRULE(this.quantity);
    this.CONSUME(T.Of);
    this.SUBRULE(this.endpoint);
    this.CONSUME(T.To);
    this.SUBRULE(this.selectorList);
  });

  workloadDecl = this.RULE('workloadDecl', () => {
    this.CONSUME(T.Workload);
    this.SUBRULE(this.name);
    this.SUBRULE(this.statementBlock);
  });

  statementBlock = this.RULE('statementBlock', () => {
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.statement));
    this.CONSUME(T.RBrace);
  });

  statement = this.RULE('statement', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.computeStatement) },
      { ALT: () => this.SUBRULE(this.collectiveStatement) },
      { ALT: () => this.SUBRULE(this.broadcastStatement) },
      { ALT: () => this.SUBRULE(this.flowStatement) },
      { ALT: () => this.SUBRULE(this.readStatement) },
      { ALT: () => this.SUBRULE(this.writeStatement) },
      { ALT: () => this.SUBRULE(this.parallelStatement) },
      { ALT: () => this.SUBRULE(this.forStatements) },
      { ALT: () => this.SUBRULE(this.transformerStatement) },
    ]);
  });

  /** `train MODEL over SEL { … }` and `serve MODEL over SEL { … }` (§13.3, §13.4). */
  transformerStatement = this.RULE('transformerStatement', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Train, { LABEL: 'op' }) },
      { ALT: () => this.CONSUME(T.Serve, { LABEL: 'op' }) },
    ]);
    this.CONSUME(T.AnyWord, { LABEL: 'transformer' });
    this.CONSUME(T.Over);
    this.SUBRULE(this.selectorList);
    this.OPTION(() => this.SUBRULE(this.attributeBlock));
  });

  computeStatement = this.RULE('computeStatement', () => {
    this.CONSUME(T.Compute);
    this.SUBRULE(this.quantity);
  });

  collectiveStatement = this.RULE('collectiveStatement', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Allreduce, { LABEL: 'op' }) },
      { ALT: () => this.CONSUME(T.Reducescatter, { LABEL: 'op' }) },
      { ALT: () => this.CONSUME(T.Allgather, { LABEL: 'op' }) },
      { ALT: () => this.CONSUME(T.Alltoall, { LABEL: 'op' }) },
    ]);
    this.SUBRULE(this.quantity);
    this.CONSUME(T.Over);
    this.SUBRULE(this.selectorList);
    this.OPTION(() => this.SUBRULE(this.usingClause));
  });

  broadcastStatement = this.RULE('broadcastStatement', () => {
    this.CONSUME(T.Broadcast);
    this.SUBRULE(this.quantity);
    this.CONSUME(T.From);
    this.SUBRULE(this.endpoint);
    this.CONSUME(T.To);
    this.SUBRULE(this.selectorList);
    this.OPTION(() => this.SUBRULE(this.usingClause));
  });

  usingClause = this.RULE('usingClause', () => {
    this.CONSUME(T.Using);
    this.CONSUME(T.AnyWord, { LABEL: 'algorithm' });
  });

  flowStatement = this.RULE('flowStatement', () => {
    this.CONSUME(T.Flow);
    this.SUBRULE(this.quantity);
    this.SUBRULE(this.endpoint, { LABEL: 'source' });
    this.CONSUME(T.Arrow);
    this.SUBRULE2(this.endpoint, { LABEL: 'target' });
  });

  readStatement = this.RULE('readStatement', () => {
    this.CONSUME(T.Read);
    this.SUBRULE(this.quantity);
    this.CONSUME(T.From);
    this.SUBRULE(this.endpoint);
    this.CONSUME(T.By);
    this.SUBRULE(this.selectorList);
  });

  writeStatement = this.RULE('writeStatement', () => {
    this.CONSUME(T.Write);
    this.SUBRULE(this.quantity);
    this.CONSUME(T.To);
    this.SUBRULE(this.endpoint);
    this.CONSUME(T.By);
    this.SUBRULE(this.selectorList);
  });

  parallelStatement = this.RULE('parallelStatement', () => {
    this.CONSUME(T.Parallel);
    this.SUBRULE(this.statementBlock);
  });

  forStatements = this.RULE('forStatements', () => {
    this.SUBRULE(this.loopHead);
    this.SUBRULE(this.statementBlock);
  });

  expectDecl = this.RULE('expectDecl', () => {
    this.CONSUME(T.Expect);
    this.CONSUME(T.Identifier, { LABEL: 'metric' });
    this.SUBRULE(this.selectorList, { LABEL: 'subject' });
    this.OPTION(() => {
      this.CONSUME(T.Arrow);
      this.SUBRULE2(this.selectorList, { LABEL: 'target' });
    });
    this.OR([
      { ALT: () => this.CONSUME(T.Less, { LABEL: 'op' }) },
      { ALT: () => this.CONSUME(T.LessEqual, { LABEL: 'op' }) },
      { ALT: () => this.CONSUME(T.Greater, { LABEL: 'op' }) },
      { ALT: () => this.CONSUME(T.GreaterEqual, { LABEL: 'op' }) },
      { ALT: () => this.CONSUME(T.EqualEqual, { LABEL: 'op' }) },
    ]);
    this.SUBRULE(this.quantity);
  });

  attributeBlock = this.RULE('attributeBlock', () => {
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.attribute));
    this.CONSUME(T.RBrace);
  });

  attribute = this.RULE('attribute', () => {
    this.CONSUME(T.AnyWord, { LABEL: 'key' });
    this.CONSUME(T.Colon);
    this.SUBRULE(this.value);
  });

  value = this.RULE('value', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.list) },
      { ALT: () => this.SUBRULE(this.quantity) },
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { GATE: () => this.LA(2).tokenType === T.Width, ALT: () => this.SUBRULE(this.portSpec) },
      { ALT: () => this.CONSUME(T.AnyWord, { LABEL: 'word' }) },
      { ALT: () => this.CONSUME(T.Width) },
      { ALT: () => this.CONSUME(T.Star) },
    ]);
  });

  list = this.RULE('list', () => {
    this.CONSUME(T.LBracket);
    this.MANY(() => {
      this.SUBRULE(this.value);
      this.OPTION(() => this.CONSUME(T.Comma));
    });
    this.CONSUME(T.RBracket);
  });

  /** `PROTOCOL WIDTH ['*' COUNT]`, in links and in `ports: [...]`. */
  portSpec = this.RULE('portSpec', () => {
    this.CONSUME(T.AnyWord, { LABEL: 'protocol' });
    this.CONSUME(T.Width);
    this.OPTION(() => {
      this.CONSUME(T.Star);
      this.SUBRULE(this.atom, { LABEL: 'count' });
    });
  });

  /** A number with an optional unit; a unit is a word not followed by what ends a quantity. */
  quantity = this.RULE('quantity', () => {
    this.CONSUME(T.NumberLiteral);
    this.OPTION({
      GATE: () => this.startsUnit(),
      DEF: () => this.SUBRULE(this.unit),
    });
  });

  unit = this.RULE('unit', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Percent) },
      { ALT: () => this.CONSUME(T.MicroUnit) },
      {
        ALT: () => {
          this.CONSUME(T.Identifier);
          this.OPTION(() => {
            this.CONSUME(T.Slash);
            this.CONSUME2(T.Identifier, { LABEL: 'per' });
          });
        },
      },
    ]);
  });

  endpoint = this.RULE('endpoint', () => {
    this.SUBRULE(this.name);
    this.OPTION(() => {
      this.CONSUME(T.LBracket);
      this.SUBRULE(this.expression);
      this.CONSUME(T.RBracket);
    });
  });

  selectorList = this.RULE('selectorList', () => {
    this.SUBRULE(this.selector);
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.selector);
    });
  });

  selector = this.RULE('selector', () => {
    this.SUBRULE(this.name);
    this.OPTION(() => {
      this.CONSUME(T.LBracket);
      this.OR([
        { ALT: () => this.CONSUME(T.Star) },
        {
          ALT: () => {
            this.SUBRULE(this.expression, { LABEL: 'from' });
            this.OPTION2(() => {
              this.CONSUME(T.Range);
              this.SUBRULE2(this.expression, { LABEL: 'to' });
            });
          },
        },
      ]);
      this.CONSUME(T.RBracket);
    });
  });

  expression = this.RULE('expression', () => {
    this.SUBRULE(this.term, { LABEL: 'operands' });
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Plus, { LABEL: 'operators' }) },
        { ALT: () => this.CONSUME(T.Minus, { LABEL: 'operators' }) },
      ]);
      this.SUBRULE2(this.term, { LABEL: 'operands' });
    });
  });

  term = this.RULE('term', () => {
    this.SUBRULE(this.atom, { LABEL: 'operands' });
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(T.Star, { LABEL: 'operators' }) },
        { ALT: () => this.CONSUME(T.Slash, { LABEL: 'operators' }) },
        { ALT: () => this.CONSUME(T.Percent, { LABEL: 'operators' }) },
      ]);
      this.SUBRULE2(this.atom, { LABEL: 'operands' });
    });
  });

  atom = this.RULE('atom', () => {
    this.OR([
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      { ALT: () => this.SUBRULE(this.name) },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.expression);
          this.CONSUME(T.RParen);
        },
      },
    ]);
  });

  /**
   * Names of devices, groups, constants and workloads. Any word is read here, so a reserved word
   * in a name's place (`link gpu[0] <-> sx`) is one clear error rather than a derailed parse.
   */
  name = this.RULE('name', () => {
    this.CONSUME(T.AnyWord);
  });

  private currentRule(): string {
    return (this as unknown as { getCurrRuleFullName(): string }).getCurrRuleFullName();
  }

  private startsUnit(): boolean {
    const next = this.LA(1).tokenType;
    if (next === T.Percent || next === T.MicroUnit) return true;
    if (next !== T.Identifier) return false;
    return !unitFollowersThatEndAQuantity.includes(this.LA(2).tokenType);
  }
}

let sharedParser: FabricParser | undefined;

/** One parser instance serves every parse: self-analysis is the expensive part. */
export function fabricParser(): FabricParser {
  sharedParser ??= new FabricParser();
  return sharedParser;
}
