import { runScript } from './run-script.mjs';

runScript('stop.sh');
