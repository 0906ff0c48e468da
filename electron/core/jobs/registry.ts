import type { JobDefinition } from './types';

/** The declared job types. A type is declared once; declaring it again is a programming error. */
export class JobRegistry {
  private readonly definitions = new Map<string, JobDefinition>();

  define<P, R>(definition: JobDefinition<P, R>): this {
    if (this.definitions.has(definition.type)) throw new Error(`job type "${definition.type}" declared twice`);
    this.definitions.set(definition.type, definition as unknown as JobDefinition);
    return this;
  }

  get(type: string): JobDefinition | undefined {
    return this.definitions.get(type);
  }

  has(type: string): boolean {
    return this.definitions.has(type);
  }

  types(): string[] {
    return [...this.definitions.keys()];
  }

  all(): JobDefinition[] {
    return [...this.definitions.values()];
  }
}
