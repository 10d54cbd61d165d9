// The partition log: openLogStore() gives the file-backed LogStore the handlers use.
export { openLogStore, FileLogStore, type LogStoreOptions } from './log-store.js';
export { defaultTopicConfigs, knownTopicConfigs, validateTopicConfig } from './configs.js';
export * from './types.js';
