// Sanction orders and sanctioned posts (spec 02). Tables arrive with the sanction module.
export {};
