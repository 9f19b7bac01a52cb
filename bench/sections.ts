import type { BenchSection } from './types';

/** Every bench section, in the order they run. Each lives in bench/<area>.ts. */
export const sections: BenchSection[] = [];
