import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip, type ChartConfiguration } from 'chart.js';
import { defineComponent, onBeforeUnmount, onMounted, ref, watch, type PropType } from 'vue';

// Only what the bar charts use (tree-shaken): no line, pie or time scale code in the bundle.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

export interface BarSeries {
  readonly label: string;
  /** `null`: no value (drawn as nothing, « — » in the table). */
  readonly values: readonly (number | null)[];
  readonly color: string;
}

/**
 * A Chart.js bar chart on a canvas that is an image for assistive technologies: `role="img"` and
 * `description` as its text alternative (the caller writes a sentence with every number; the same
 * numbers are in an HTML table beside the chart). French number formats through Chart.js's
 * `locale`; no animation (nothing moves for people who asked for reduced motion, and screenshots
 * are stable).
 */
export const BarChart = defineComponent({
  name: 'BarChart',
  props: {
    labels: { type: Array as PropType<readonly string[]>, required: true },
    series: { type: Array as PropType<readonly BarSeries[]>, required: true },
    description: { type: String, required: true },
    /** Horizontal bars (long stage names read better on the vertical axis). */
    horizontal: { type: Boolean, default: false },
    /** Formats an axis tick and a tooltip value (e.g. a percentage). */
    format: { type: Function as PropType<(value: number) => string>, default: (value: number) => value.toLocaleString('fr-FR') },
    /** The value axis stops at this maximum (100 % for shares). */
    max: { type: Number, default: undefined },
    /** Counts: whole-number ticks only. */
    integer: { type: Boolean, default: false },
    height: { type: Number, default: 320 },
    testId: { type: String, default: undefined },
  },
  setup(props) {
    const canvas = ref<HTMLCanvasElement | null>(null);
    let chart: Chart<'bar', (number | null)[], string> | null = null;

    function config(): ChartConfiguration<'bar', (number | null)[], string> {
      const valueAxis = props.horizontal ? 'x' : 'y';
      return {
        type: 'bar',
        data: {
          labels: [...props.labels],
          datasets: props.series.map((s) => ({ label: s.label, data: [...s.values], backgroundColor: s.color, borderColor: s.color })),
        },
        options: {
          indexAxis: props.horizontal ? 'y' : 'x',
          locale: 'fr-FR',
          animation: false,
          responsive: true,
          maintainAspectRatio: false,
          plugins: {
            legend: { position: 'bottom', labels: { color: '#1f2937' } },
            tooltip: { callbacks: { label: (item) => `${item.dataset.label ?? ''} : ${item.raw === null ? '—' : props.format(Number(item.raw))}` } },
          },
          scales: {
            [valueAxis]: { beginAtZero: true, ...(props.max === undefined ? {} : { max: props.max }), ticks: { color: '#1f2937', ...(props.integer ? { precision: 0 } : {}), callback: (value: string | number) => props.format(Number(value)) } },
            [valueAxis === 'x' ? 'y' : 'x']: { ticks: { color: '#1f2937', autoSkip: false } },
          },
        },
      };
    }

    onMounted(() => {
      if (canvas.value) chart = new Chart(canvas.value, config());
    });
    watch(
      () => [props.labels, props.series],
      () => {
        if (!chart) return;
        const next = config();
        chart.data = next.data;
        chart.update();
      },
    );
    onBeforeUnmount(() => {
      chart?.destroy();
      chart = null;
    });

    return () => (
      <div class="chart-box" style={{ height: `${props.height}px` }}>
        <canvas ref={canvas} role="img" aria-label={props.description} data-testid={props.testId}>
          {props.description}
        </canvas>
      </div>
    );
  },
});
