/**
 * Seeded data generators for the settings of the paper, shipped real data sets, and validated loaders for user data.
 *
 * @packageDocumentation
 */
export {};
