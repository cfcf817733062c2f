/** GeM seam (specs 03, 10): look up a GeM contract and the GeM users of a DDO office. */
export type GemContract = { contractNo: string; bidNo: string; sellerName: string; startDate: string; endDate: string };
export type GemAdapter = {
  contract(contractNo: string): Promise<GemContract | null>;
};
