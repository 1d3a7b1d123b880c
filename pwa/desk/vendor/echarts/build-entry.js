// Apache ECharts, only what the desk draws: line and bar trends, the district map with points.
import * as echarts from "echarts/core";
import { BarChart, LineChart, ScatterChart } from "echarts/charts";
import { AriaComponent, GeoComponent, GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import { LabelLayout } from "echarts/features";
import { CanvasRenderer } from "echarts/renderers";

echarts.use([LineChart, BarChart, ScatterChart, GridComponent, GeoComponent, TooltipComponent, LegendComponent, AriaComponent, LabelLayout, CanvasRenderer]);

export const { init, registerMap, getInstanceByDom, getMap, version } = echarts;
