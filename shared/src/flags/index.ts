export * from './detectors';
export * from './lifecycle';
export * from './settings';
export * from './types';
