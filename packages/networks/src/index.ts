/**
 * Linear tensor networks for implicit-bias: fully-connected, diagonal, convolutional and user-defined, with data tensors, analytic gradients and odeco decompositions.
 *
 * @packageDocumentation
 */
export {};
