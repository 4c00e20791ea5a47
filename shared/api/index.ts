export * from './define';
export * from './table';
export * from './events';
export * from './client';
