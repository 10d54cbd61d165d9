import { Args, Flags } from '@oclif/core';
import { BaseCommand, targetFlags } from '../../lib/cli/base-command.js';
import { createTopic, parseConfigPairs } from '../../lib/kafka/topics.js';
import { output } from '../../lib/render/output.js';

export interface TopicCreateResult {
  topic: string;
  created: boolean;
  partitions: number;
}

export default class TopicCreate extends BaseCommand<TopicCreateResult> {
  static override summary = 'Create a topic.';
  static override description =
    'Partitions are the unit of ordering and parallelism: records with the same key always land in the same partition, in order. Configs such as retention.ms can be changed later with `topic config set`.';
  static override examples = [
    '<%= config.bin %> topic create orders -p 6',
    '<%= config.bin %> topic create audit --config retention.ms=86400000 --config cleanup.policy=delete',
    '<%= config.bin %> topic create orders --if-not-exists --json',
  ];
  static override args = {
    topic: Args.string({ ignoreStdin: true, required: true, description: 'Topic name' }),
  };
  static override flags = {
    ...targetFlags,
    partitions: Flags.integer({ char: 'p', summary: 'Number of partitions.', default: 3, min: 1 }),
    'replication-factor': Flags.integer({
      char: 'r',
      summary: 'Copies of each partition (1 on a single node).',
      default: 1,
      min: 1,
    }),
    config: Flags.string({ summary: 'Topic config key=value (repeatable).', multiple: true }),
    'if-not-exists': Flags.boolean({ summary: 'Succeed when the topic already exists.' }),
  };

  async run(): Promise<TopicCreateResult> {
    const { args, flags } = await this.parse(TopicCreate);
    const configs = parseConfigPairs(flags.config);
    const session = await this.session(flags);
    const result = await createTopic(session, {
      name: args.topic,
      partitions: flags.partitions,
      replicationFactor: flags['replication-factor'],
      configs,
      ifNotExists: flags['if-not-exists'],
    });
    if (!this.jsonEnabled()) {
      output().line(
        result.created
          ? `created topic ${result.topic} with ${result.partitions} partition${result.partitions === 1 ? '' : 's'}`
          : `topic ${result.topic} already exists (${result.partitions} partitions)`,
      );
    }
    return result;
  }
}
