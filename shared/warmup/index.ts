export * from './calendar';
export * from './loop';
export * from './random';
export * from './ramp';
export * from './spacing';
export * from './effective';
