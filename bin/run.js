#!/usr/bin/env node
import { execute } from '@oclif/core';

await execute({ dir: import.meta.url });

// A command is done when execute() resolves. Sockets that kafkajs abandoned after a connect
// timeout (a broker that accepts but never answers) would otherwise keep the process alive until
// their own request timeout; the timer is unref'd, so a normal exit is never delayed by it.
setTimeout(() => process.exit(), 300).unref();
