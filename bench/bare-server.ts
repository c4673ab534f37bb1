/**
 * The practical upper limit of the benchmark: a bare `node:http` server that reads (and drops) the whole request
 * body and answers the vendor's fixed sample 200 JSON to everything. No routing, no parsing, no validation: what is
 * left is the cost of Node's HTTP stack and of moving the upload's bytes, which every server here pays too.
 *
 * Usage: node --import tsx bench/bare-server.ts PORT [HOST]
 */
import { createServer } from 'node:http';
import { namedExamples } from '../src/spec/named-examples.js';

const port = Number(process.argv[2] ?? 0);
const host = process.argv[3] ?? '127.0.0.1';
const sample = namedExamples().get('OK');
if (!sample) throw new Error('the spec has no OK example');
const answer = Buffer.from(JSON.stringify(sample.body));

const server = createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': answer.length });
    res.end(answer);
  });
});
server.listen(port, host, () => {
  const address = server.address();
  const bound = typeof address === 'object' && address !== null ? address.port : port;
  console.log(`bare server listening on http://${host}:${bound}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.on('SIGINT', () => server.close(() => process.exit(0)));
