/** A quantity an event watches (or a level snapshot is taken on). */
export type EventQuantity = 'margin' | 'loss' | 'logLoss' | 'normalizedMargin';
