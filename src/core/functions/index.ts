export * from './types';
export { scanRepository, ScanError, functionId } from './scan';
export { sampleStartFunctions, seededRandom, hash32, type StartPoint, type SampleOptions } from './sample';
export { LANGUAGES, languageForPath, parseLanguageList } from './languages';
export { defaultCacheDir } from './scan-cache';
export { scanCounts, describeScan, describeSyntaxErrors, type ScanCounts } from './scan-summary';
