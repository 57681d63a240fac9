export * from './calendar';
export * from './renewals';
