import { describeConformance } from '@implicit-bias/testing';
import { cpuPlugin } from './plugin.js';

describeConformance(cpuPlugin);
