// Every fuzz family, in the order the runners run them.
import type { Family } from './harness';
import { configFamily } from './config-files';
import { httpFamily } from './http-requests';
import { sseFamily } from './sse-resume';
import { wsFamily } from './ws-messages';

export const FAMILIES: readonly Family[] = [wsFamily, httpFamily, sseFamily, configFamily];
