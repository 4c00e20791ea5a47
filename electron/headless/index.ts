// `kiln` CLI entry, bundled to out/main/headless.js and run by plain Node: never imports Electron.
import { main } from './cli';

void main(process.argv);
