/** Set by vite.config.ts at build time: the build's date (YYYY-MM-DD, IST). */
declare const __ROAMS_BUILD_DATE__: string;
