// The invoice module's public face: nothing yet for other modules.
export {};
