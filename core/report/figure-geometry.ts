// The timeline figure's geometry and lane colours, shared by the SVG of the HTML report
// (figure.ts) and the PDF's vector drawing (pdf-native/figure.ts), so both read alike.
import type { TimelineFigure } from './model.ts';

/** Figure units: the SVG's viewBox width (the PDF scales it to the text width). */
export const WIDTH = 1000;
export const LABEL_W = 230;
export const LANE_H = 22;
export const TOP = 38;
export const BOTTOM = 26;
export const PLOT_W = WIDTH - LABEL_W - 12;
/** Marks closer than this many units on one lane are drawn as one (with their count). */
export const MERGE_UNITS = 2;

export const LANE_COLOUR: Record<TimelineFigure['lanes'][number]['kind'], string> = { process: '#3b6fb6', ics: '#c2410c', alarm: '#b42318' };
