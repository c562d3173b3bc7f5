// Preloaded by ./crossbar bench (node --require loopback.cjs ...): the peer gateway's start script
// listens on every interface and has no option to choose one, so bind its listeners to 127.0.0.1.
'use strict';
const net = require('net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' || (typeof args[0] === 'string' && /^\d+$/.test(args[0]))) {
    if (typeof args[1] !== 'string') {
      args.splice(1, args[1] === undefined ? 1 : 0, '127.0.0.1');
    }
  } else if (args[0] && typeof args[0] === 'object' && !Array.isArray(args[0]) && args[0].path === undefined) {
    args[0] = { ...args[0], host: '127.0.0.1' };
  }
  return listen.apply(this, args);
};
