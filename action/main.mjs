import { runScript } from './run-script.mjs';

runScript('start.sh');
