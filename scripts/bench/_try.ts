import { forwardingPoint } from './forwarding.js';
const sys = (process.argv[2] ?? 'parley') as 'parley' | 'janus';
const n = Number(process.argv[3] ?? 10);
console.log(JSON.stringify(await forwardingPoint(sys, n, { hog: false, windowSeconds: 10, janusBinary: '/usr/bin/janus' }), null, 1));
process.exit(0);
