export * from './errors.js'
export * from './units.js'
export * from './stats.js'
export * from './fs.js'
