// Preloaded into Prism (`NODE_OPTIONS=--require .../loopback-guard.cjs`) by the referee: Prism only ever needs to
// reach its upstream on loopback, so any other TCP connection it attempts is refused here, before a DNS lookup or a
// packet, and reported on stderr, where the referee test looks for it. CommonJS because Prism is CommonJS.
const net = require('node:net');

const LOOPBACK_HOSTS = new Set(['localhost', '::1', '::ffff:127.0.0.1']);
const isLoopback = (host) => LOOPBACK_HOSTS.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  // Node calls connect(options, cb), connect(port, host, cb) or, internally, connect([options, cb]).
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const options = first !== null && typeof first === 'object' ? first : { port: first, host: args[1] };
  if (options.path === undefined) {
    const host = typeof options.host === 'string' ? options.host : 'localhost';
    if (!isLoopback(host)) {
      const error = new Error(`loopback guard: refused a connection to ${host}:${options.port}`);
      process.stderr.write(`${error.message}\n`);
      process.nextTick(() => this.destroy(error));
      return this;
    }
  }
  return connect.apply(this, args);
};

process.stderr.write(`loopback guard: active in process ${process.pid}\n`);
