import { version } from '../../package.json';

/** The Reasonscope version recorded in every run header. */
export const REASONSCOPE_VERSION: string = version;
