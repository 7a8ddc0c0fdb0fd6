/**
 * CPace (draft-irtf-cfrg-cpace-21, CPACE-X25519-SHA512) as published on the core image
 * (`firstlight.protocol.cpace`): the `CPace` party object and the draft's named functions.
 */
import { prependLen, lvCat, lvSplit, lexiographicallyLarger, oCat, transcriptIr, transcriptOc } from "./encoding";
import { elligator2 } from "./elligator2";
import { DSI, generatorString, calculateGenerator } from "./generator";
import { CPace, sampleScalar, scalarMult, scalarMultVfy, isIdentity, deriveIskFrom, sidOutputOf } from "./cpace";

export var cpaceApi = {
  CPace: CPace,
  DSI: DSI,
  prependLen: prependLen,
  lvCat: lvCat,
  lvSplit: lvSplit,
  lexiographicallyLarger: lexiographicallyLarger,
  oCat: oCat,
  transcriptIr: transcriptIr,
  transcriptOc: transcriptOc,
  generatorString: generatorString,
  calculateGenerator: calculateGenerator,
  elligator2: elligator2,
  sampleScalar: sampleScalar,
  scalarMult: scalarMult,
  scalarMultVfy: scalarMultVfy,
  isIdentity: isIdentity,
  deriveIskFrom: deriveIskFrom,
  sidOutputOf: sidOutputOf,
};
