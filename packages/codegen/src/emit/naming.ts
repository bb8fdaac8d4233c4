/**
 * Names of generated files and identifiers, derived from event and context names. One place, so
 * the emitters, the index and the upcaster scaffolds always agree.
 */

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word.length > 0);
}

/** `MoneyDeposited` → `money-deposited`. */
export function kebabCase(name: string): string {
  return words(name)
    .map((word) => word.toLowerCase())
    .join("-");
}

/** `money-deposited` or `MoneyDeposited` → `MoneyDeposited`. */
export function pascalCase(name: string): string {
  return words(name)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join("");
}

/** `MoneyDeposited` → `moneyDeposited`. */
export function camelCase(name: string): string {
  const pascal = pascalCase(name);
  return pascal.charAt(0).toLowerCase() + pascal.slice(1);
}

/** The identifiers and module names generated for one event type. */
export interface EventNames {
  /** The event class, also the type name: `MoneyDeposited`. */
  readonly className: string;
  /** `money-deposited`. */
  readonly fileStem: string;
  /** `money-deposited.gen.ts`. */
  readonly moduleFile: string;
  /** `money-deposited.types.gen.ts`. */
  readonly typesFile: string;
  /** `moneyDepositedSpec`. */
  readonly spec: string;
  /** `moneyDepositedUpcasters`. */
  readonly upcasters: string;
  /** `moneyDepositedEnvelopeSchema` (module-private). */
  readonly envelope: string;
  /** `MoneyDepositedV3`: the data as written (event class, append). */
  readonly dataType: (version: number) => string;
  /** `MoneyDepositedV3Read`: the data as read, personal-data fields `T | Erased`. */
  readonly readDataType: (version: number) => string;
  /** `MoneyDepositedRead`: the event as handlers receive it from the store (`{ type, data }` at the latest version's read data). */
  readonly readEvent: string;
  /** `moneyDepositedV3Schema`. */
  readonly validator: (version: number) => string;
  /** `moneyDepositedV3ReadSchema`: the read-side validator, which admits the erased marker at personal-data paths. */
  readonly readValidator: (version: number) => string;
  /** `moneyDepositedV3Pii`. */
  readonly pii: (version: number) => string;
}

/** Names for the event type `name` (PascalCase, as in the catalog). */
export function eventNames(name: string): EventNames {
  const className = pascalCase(name);
  const lower = camelCase(name);
  const fileStem = kebabCase(name);
  return {
    className,
    fileStem,
    moduleFile: `${fileStem}.gen.ts`,
    typesFile: `${fileStem}.types.gen.ts`,
    spec: `${lower}Spec`,
    upcasters: `${lower}Upcasters`,
    envelope: `${lower}EnvelopeSchema`,
    dataType: (version) => `${className}V${version}`,
    readDataType: (version) => `${className}V${version}Read`,
    readEvent: `${className}Read`,
    validator: (version) => `${lower}V${version}Schema`,
    readValidator: (version) => `${lower}V${version}ReadSchema`,
    pii: (version) => `${lower}V${version}Pii`,
  };
}

/** The identifiers generated for one context: `BankingEvent` (as written), `BankingReadEvent` (as read), `bankingRegistry`. */
export function contextNames(context: string): { readonly union: string; readonly readUnion: string; readonly registry: string } {
  return { union: `${pascalCase(context)}Event`, readUnion: `${pascalCase(context)}ReadEvent`, registry: `${camelCase(context)}Registry` };
}

/** A module specifier for a `.ts` file, as `verbatimModuleSyntax` + NodeNext want it: `./x.gen.js`. */
export function moduleSpecifier(relativeTsPath: string): string {
  const withPrefix = relativeTsPath.startsWith(".") ? relativeTsPath : `./${relativeTsPath}`;
  return withPrefix.replace(/\.ts$/, ".js");
}
