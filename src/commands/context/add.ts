import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../lib/cli/base-command.js';
import { addContext, type ContextAddResult, type ContextSpec } from '../../lib/kafka/contexts.js';
import { output } from '../../lib/render/output.js';
import { renderDetails } from './show.js';

export type { ContextAddResult };

export default class ContextAdd extends BaseCommand<ContextAddResult> {
  static override summary = 'Add a named context: how to reach one Kafka cluster.';
  static override description = `Stores brokers, an optional client id, TLS and SASL settings under NAME in the config file. Nothing is contacted; use \`eventbench topic list --context NAME\` to try it.

TLS: --tls turns it on with the system's CAs; --tls-ca, --tls-cert and --tls-key give PEM files (they must exist; they are stored as absolute paths). --tls-insecure skips certificate checks, for test clusters only.

SASL: --sasl-mechanism plain|scram-sha-256|scram-sha-512 with --sasl-username and --password-env. The password itself is never given on the command line or stored: --password-env names the environment variable that holds it, read each time a command connects.`;
  static override examples = [
    {
      description: 'A local cluster:',
      command: '<%= config.bin %> context add local --brokers 127.0.0.1:9092 --use',
    },
    {
      description: 'A cluster with TLS and SCRAM; the password comes from $PROD_KAFKA_PASSWORD:',
      command:
        '<%= config.bin %> context add prod --brokers k1.example.com:9093,k2.example.com:9093 --tls --sasl-mechanism scram-sha-512 --sasl-username alice --password-env PROD_KAFKA_PASSWORD',
    },
    {
      description: 'Mutual TLS with a private CA:',
      command:
        '<%= config.bin %> context add lab --brokers lab:9093 --tls-ca ca.pem --tls-cert client.pem --tls-key client.key',
    },
  ];
  static override args = {
    name: Args.string({ required: true, description: 'Context name: letters, digits, ".", "_" or "-"' }),
  };
  static override flags = {
    brokers: Flags.string({
      char: 'b',
      required: true,
      summary: 'Bootstrap brokers, host:port[,host:port]; a missing port means 9092.',
    }),
    'client-id': Flags.string({ summary: 'Kafka client.id sent by commands (default eventbench).' }),
    tls: Flags.boolean({ summary: 'Connect with TLS, trusting the system CAs.', helpGroup: 'TLS' }),
    'tls-ca': Flags.string({ summary: 'PEM file with the CA(s) to trust. Implies --tls.', helpGroup: 'TLS' }),
    'tls-cert': Flags.string({
      summary: 'PEM client certificate for mutual TLS (needs --tls-key).',
      helpGroup: 'TLS',
    }),
    'tls-key': Flags.string({ summary: 'PEM private key for --tls-cert.', helpGroup: 'TLS' }),
    'tls-insecure': Flags.boolean({
      summary: "Do not verify the brokers' certificates. Test clusters only.",
      helpGroup: 'TLS',
    }),
    'sasl-mechanism': Flags.string({
      summary: 'plain, scram-sha-256 or scram-sha-512.',
      helpGroup: 'SASL',
    }),
    'sasl-username': Flags.string({ summary: 'SASL user name.', helpGroup: 'SASL' }),
    'password-env': Flags.string({
      summary: 'NAME of the environment variable holding the SASL password (never the password).',
      helpGroup: 'SASL',
    }),
    use: Flags.boolean({ summary: 'Also make it the current context.' }),
    overwrite: Flags.boolean({ summary: 'Replace an existing context of the same name.' }),
  };

  async run(): Promise<ContextAddResult> {
    const { args, flags } = await this.parse(ContextAdd);
    const wantsTls =
      flags.tls ||
      flags['tls-insecure'] ||
      [flags['tls-ca'], flags['tls-cert'], flags['tls-key']].some(Boolean);
    const wantsSasl = [flags['sasl-mechanism'], flags['sasl-username'], flags['password-env']].some(
      (v) => v !== undefined,
    );
    const spec: ContextSpec = {
      brokers: flags.brokers,
      clientId: flags['client-id'],
      tls: wantsTls
        ? {
            ca: flags['tls-ca'],
            cert: flags['tls-cert'],
            key: flags['tls-key'],
            rejectUnauthorized: !flags['tls-insecure'],
          }
        : undefined,
      sasl: wantsSasl
        ? {
            mechanism: flags['sasl-mechanism'],
            username: flags['sasl-username'],
            passwordEnv: flags['password-env'],
          }
        : undefined,
    };
    const result = addContext(args.name, spec, { use: flags.use, overwrite: flags.overwrite });
    if (!this.jsonEnabled()) {
      const out = output();
      out.line(`${result.replaced ? 'replaced' : 'added'} context "${args.name}"`);
      renderDetails(result.context);
      if (!result.context.current)
        out.info(
          `make it current with \`eventbench context use ${args.name}\`, or pass --context ${args.name}`,
        );
    }
    return result;
  }
}
